## Админ: /admin, /users, /user, /broadcast, /blocklist, /whitelist, /jobs, /backup; /status для всех.

cmd-admin = Состояние: пользователи, сигналы, источники данных, задачи, очередь, ошибки
cmd-users = Найти пользователей
cmd-users-args = [имя, @username или id]
cmd-user = Пользователь: настройки, депозит, позиции, флаги
cmd-user-args = <id>
cmd-broadcast-args = [текст]
cmd-broadcast = Отправить сообщение всем пользователям
cmd-blocklist = Символы, которые не сканируются и не торгуются
cmd-whitelist = Символы, всегда входящие в список
cmd-list-args = [add|remove СИМВОЛ]
cmd-jobs = Задачи по расписанию: запустить, пауза, продолжить
cmd-backup = Сделать резервную копию базы
cmd-status = Работает ли бот, живые ли данные

admin-input-too-long = Слишком длинно: не больше { $limit ->
        [one] { $limit } символа
       *[other] { $limit } символов
    }. Сократите, пожалуйста.

admin-state-ok = всё в порядке
admin-state-bad = требует внимания
admin-health-title = <b>Состояние: { $state }</b>
admin-health-build = tradebot { $version } · <code>{ $commit }</code> · работает { $uptime }
admin-health-users = 👥 Пользователи: { $total } · активны за 24ч { $day } · за 7д { $week } · заблокировали бота { $blocked }
admin-health-signals = 📈 Сигналы сегодня: выдано { $issued } · доставлено { $delivered }
admin-health-positions = 💼 Открытые бумажные позиции: { $open }
admin-health-data = 📡 Рыночные данные: { $state }
admin-health-data-source = 📡 Рыночные данные с { $source }: { $state }
admin-health-source = • { $name }: предохранитель { $breaker } · задержка { $latency } (последняя { $last }) · кэш: попаданий { $hits }, промахов { $misses } · сбоев: { $failures } · устаревших ответов: { $stale }
admin-breaker-closed = замкнут (запросы идут)
admin-breaker-open = разомкнут (запросы приостановлены после сбоев)
admin-breaker-half-open = полуоткрыт (пробуем снова)
admin-health-source-error =   последняя ошибка: { $error }
admin-health-stale = Устаревшие символы ({ $count }): { $symbols }
admin-health-scheduler = ⏱ Планировщик: { $state }
admin-scheduler-running = работает
admin-scheduler-stopped = не запущен
admin-health-job = • <code>{ $id }</code>: следующий запуск { $next }
admin-job-state-paused = на паузе
admin-health-queue = 📤 Очередь отправки: ждут { $pending } · отправка в Telegram p50 { $p50 }, p95 { $p95 } · доставка сигналов p50 { $delivery }
admin-health-errors = ⚠️ Последние ошибки ({ $count }):
admin-health-error = • <code>{ $ref }</code> { $at } { $kind }
admin-health-no-errors = ✅ Ошибок с момента запуска нет.
admin-health-problems = Проблемы: { $problems }
admin-problem-database = база данных недоступна
admin-problem-market-stale = рыночные данные устарели
admin-problem-market-down = рыночные данные недоступны
admin-problem-scheduler = планировщик не запущен

status-healthy = ✅ Бот работает нормально.
status-unhealthy = ⚠️ У бота проблема; подробности администраторы видят в /admin.
status-data = Рыночные данные: { $state }
status-data-source = Рыночные данные с { $source }: { $state }
status-data-live = живые
status-data-simulated = симуляция (не настоящие цены)
status-data-replay = исторический повтор
status-data-stale = устаревшие (биржа не отвечает; цены могут быть старыми)
status-data-down = недоступны
status-uptime = Работает { $uptime }
status-stale-symbols = { $count ->
        [one] У { $count } символа старые данные.
       *[other] У { $count } символов старые данные.
    }

admin-users-title = <b>Пользователи ({ $count })</b>
admin-users-line = • <code>{ $id }</code> { $username } { $name } · { $lang } · был { $seen } { $marks }
admin-users-none = Никто не найден по запросу «{ $query }».
admin-users-hint = Подробнее: /user ID
admin-user-mark-blocked-bot = [заблокировал бота]
admin-user-mark-blocked = [заблокирован админом]
admin-user-usage = Использование: /user ID (число из /users).
admin-user-not-found = Нет пользователя с id { $id }.
admin-user-title = <b>Пользователь { $id }</b> · { $name } · { $username }
admin-user-seen = С нами с { $created } · был { $seen }
admin-user-settings = Язык { $lang } · часовой пояс { $tz } · риск { $risk }% · плечо x{ $leverage } · уведомления { $notify } · мин. уверенность { $confidence } · пресет { $preset }
admin-user-account = Депозит { $deposit } · баланс { $balance } · маржа в работе { $margin }
admin-user-no-account = Бумажного депозита пока нет.
admin-user-positions = Открытых позиций: { $count }
admin-user-position = • #{ $id } { $symbol } { $side } { $qty } @ { $entry }
admin-user-flags = Флаги: { $flags } · статус: { $state }
admin-user-history = Последние записи аудита:
admin-btn-block = 🚫 Заблокировать
admin-btn-unblock = ✅ Разблокировать
admin-btn-flag-set = Поставить { $flag }
admin-btn-flag-clear = Снять { $flag }
admin-user-blocked = Пользователь { $id } заблокирован.
admin-user-unblocked = Пользователь { $id } разблокирован.
admin-flag-set = Флаг { $flag } поставлен для { $id }.
admin-flag-cleared = Флаг { $flag } снят для { $id }.
admin-flag-unavailable = Флаги риска недоступны.

admin-broadcast-unavailable = Для рассылки нужна очередь отправки, а она не запущена.
admin-broadcast-compose = Пришлите текст рассылки (обычный текст; любая команда отменяет).
admin-broadcast-empty = Текст пустой.
admin-broadcast-too-long = Текст слишком длинный: не больше { $max ->
        [one] { $max } символа
       *[other] { $max } символов
    }.
admin-broadcast-preview =
    <b>Предпросмотр</b>

    { $text }

    Получателей: { $count } (пропущено, заблокированы: { $skipped })
admin-broadcast-btn-send = Отправить { $count }
admin-broadcast-btn-cancel = Отмена
admin-broadcast-cancelled = Рассылка отменена.
admin-broadcast-started = Отправляю…
admin-broadcast-progress = 📣 Рассылка: { $done }/{ $total } · доставлено { $sent } · ошибок { $failed } · заблокировали { $blocked }
admin-broadcast-done = 📣 Рассылка завершена: доставлено { $sent } из { $total } · ошибок { $failed } · заблокировали бота { $blocked } · пропущено { $skipped }

admin-list-unavailable = Для списков символов нужны рыночные данные, а они не запущены.
admin-list-usage = Использование: /{ $command } (список), /{ $command } add СИМВОЛ [заметка], /{ $command } remove СИМВОЛ
admin-list-block = чёрный список
admin-list-white = белый список
admin-list-empty-block = Чёрный список пуст.
admin-list-empty-white = Белый список пуст.
admin-list-title-block = <b>Чёрный список ({ $count })</b>
admin-list-title-white = <b>Белый список ({ $count })</b>
admin-list-unknown = Неизвестный символ { $symbol }. Может быть: { $suggestions }
admin-list-add-ok = { $symbol } добавлен в { $list }.
admin-list-add-noop = { $symbol } уже есть в { $list }.
admin-list-remove-ok = { $symbol } убран из { $list }.
admin-list-remove-noop = { $symbol } нет в { $list }.

admin-jobs-none = Задач по расписанию нет.
admin-jobs-title = <b>Задачи по расписанию ({ $count })</b>
admin-jobs-btn-run = ▶️ Запустить { $id }
admin-jobs-btn-pause = ⏸ Пауза { $id }
admin-jobs-btn-resume = ⏯ Продолжить { $id }
admin-job-not-found = Такой задачи нет.
admin-job-running = Запускаю { $id }…
admin-job-ran = Задача <code>{ $id }</code> выполнена за { $seconds } с.
admin-job-failed = Задача <code>{ $id }</code> упала через { $seconds } с: { $error }
admin-job-paused = { $id } на паузе.
admin-job-resumed = { $id } продолжена.

admin-backup-done = 💾 Копия { $name } · { $size } МБ · схема { $revision }
admin-backup-failed = Не удалось сделать копию: { $reason }
admin-backup-too-big = Слишком большая для отправки; она на сервере: { $path }
# Почему копия или восстановление отклонены (ключи BackupError в services/backup/service.py).
backup-error-not-sqlite = копии через online-backup API SQLite делаются только для базы SQLite (для PostgreSQL используйте pg_dump)
backup-error-no-file = файла { $path } нет
backup-error-integrity = проверка целостности не пройдена: { $details }
backup-error-unreadable = это не читаемая база SQLite ({ $reason })
backup-error-no-database = базы данных { $path } нет
backup-error-cannot-write = не удаётся записать копию в { $folder }: { $reason }
backup-error-cannot-restore = не удаётся восстановить базу { $path }: { $reason }
backup-error-no-revision = у копии нет версии схемы (нет таблицы alembic_version)
backup-error-unknown-revision = версия схемы копии { $revision } этой сборке неизвестна
