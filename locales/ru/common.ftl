## Основа: /start, /help, /lang, /settings, ошибки и подсказки.

language-name = Русский

start-greeting = Привет, { $name }! Я <b>tradebot</b>, помощник для торговли криптовалютой.
start-howto =
    Что я умею: сигналы по рынку с входом, стопом и целями, бумажная торговля на вашем
    депозите, предупреждения о рисках и бэктесты стратегий.
    С чего начать:
    • /settings: риск на сделку, плечо, уведомления, часовой пояс
    • /help: все команды
    Сигналы — это идеи, а не финансовый совет.
start-choose-language = Выберите язык:

lang-choose = Выберите язык:
lang-changed = Язык переключён на русский.

help-title = <b>Команды</b>
help-admin-title = <b>Команды администратора</b>
help-footer = Аргументы в угловых скобках обязательны, в квадратных — нет.

unknown-command = Я не знаю команду { $command }. Отправьте /help, чтобы увидеть, что я умею.
unknown-text = Я отвечаю на команды. Отправьте /help, чтобы их увидеть.
error-internal = Что-то пошло не так на моей стороне. Код ошибки: <code>{ $ref }</code>. Попробуйте ещё раз; если ошибка повторяется, отправьте код администратору.
error-internal-short = Что-то пошло не так. Код ошибки: { $ref }
throttle-slow-down = Слишком много сообщений подряд. Подождите секунду и попробуйте снова.
callback-expired = Эта кнопка больше не действует.
callback-not-yours = Это чужая кнопка.

cmd-start = Начать и выбрать язык
cmd-help = Все команды
cmd-lang = Сменить язык
cmd-settings = Риск, плечо, уведомления, часовой пояс
cmd-version = Версия, коммит и время работы

version-info =
    <b>tradebot { $version }</b>
    Коммит: <code>{ $commit }</code>
    Работает: { $uptime }
    Python { $python }, aiogram { $aiogram }

settings-title = <b>Ваши настройки</b>
settings-summary =
    Риск на сделку: { $risk_per_trade }%
    Плечо: x{ $leverage }
    Уведомления: { $notify_mode }
    Минимальная уверенность: { $min_confidence }%
    Пресет сигналов: { $preset }
    Часовой пояс: { $timezone }
    Язык: { $language }
settings-deposit = Депозит: { $deposit } (меняется командой /deposit)
settings-deposit-unset = Депозит: не задан. Задайте его командой /deposit, чтобы сигналы показывали размер позиции.
settings-pick = Выберите, что изменить:
settings-button-risk_per_trade = Риск на сделку
settings-button-leverage = Плечо
settings-button-notify_mode = Уведомления
settings-button-min_confidence = Мин. уверенность
settings-button-preset = Пресет
settings-button-timezone = Часовой пояс
settings-button-language = Язык
settings-button-back = « Назад
settings-button-close = Готово

settings-ask-risk_per_trade = Риск на сделку в процентах от депозита. Выберите или введите число от { $min } до { $max }:
settings-ask-leverage = Плечо. Выберите или введите целое число от { $min } до { $max }:
settings-ask-notify_mode = Какие сигналы присылать?
settings-ask-min_confidence = Минимальная уверенность сигнала. Выберите или введите целое число от { $min } до { $max }:
settings-ask-preset = Пресет сигналов:
settings-ask-timezone = Часовой пояс. Выберите или введите название зоны, например Europe/Moscow:
settings-ask-language = Выберите язык:

settings-invalid-risk_per_trade = Риск на сделку — число от { $min } до { $max } (не больше двух знаков после запятой). Ничего не изменено; введите другое значение или нажмите « Назад.
settings-invalid-leverage = Плечо — целое число от { $min } до { $max }. Ничего не изменено; введите другое значение или нажмите « Назад.
settings-invalid-min_confidence = Минимальная уверенность — целое число от { $min } до { $max }. Ничего не изменено; введите другое значение или нажмите « Назад.
settings-invalid-timezone = Я не знаю такой часовой пояс. Используйте название вроде Europe/Moscow или Asia/Almaty. Ничего не изменено.
settings-invalid-choice = Такого варианта нет. Ничего не изменено.
settings-saved = Сохранено.

notify-mode-all = все сигналы
notify-mode-strong = только сильные сигналы
notify-mode-off = выключены

preset-composite = Комплексный (тренд, импульс и объём)
preset-scalper = Скальпер (короткие таймфреймы)

# Durations (uptime, waits, data age); services/text.py:format_duration
duration-dhm = { $d } д { $h } ч { $m } мин
duration-hm = { $h } ч { $m } мин
duration-ms = { $m } мин { $s } с
