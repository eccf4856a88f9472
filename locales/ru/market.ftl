## Рыночные данные: /top, пометки данных, ошибки символов.

cmd-top = Лучшие монеты по тренду, объёму и волатильности
cmd-top-args = [N]

market-simulated-label = ⚠️ <b>Симулированный рынок</b>: это не настоящие цены.
market-stale-label = ⚠️ Биржа недоступна: данные из кэша, возраст { $age }.
market-fallback-notice = Биржа сейчас недоступна, поэтому я показываю симулированный рынок. Всё, что на нём основано, помечено как симуляция; настоящие данные вернутся автоматически.
market-unavailable = Рыночные данные сейчас недоступны. Попробуйте через минуту.
market-unknown-symbol = Я не знаю рынок { $symbol }.
market-unknown-symbol-suggest = Я не знаю рынок { $symbol }. Возможно, вы имели в виду { $suggestions }?

market-top-title = <b>Топ { $count } из { $universe } ликвидных монет</b> · свечи { $timeframe }, последние { $days } дн.
market-top-line = { $rank }. <b>{ $symbol }</b> { $price } · { $reason }
market-top-reason = { $direction ->
        [up] рост { $change }
        [down] падение { $change }
       *[range] боковик { $change }
    }, сила тренда { $strength }, объём { $volume }, волатильность { $volatility }/день
market-top-footer = Оценка: сила тренда 50 %, объём 30 %, волатильность 20 %. Это идеи, а не финансовый совет.
market-top-working = Просматриваю рынок; первый рейтинг после перерыва может занять минуту…
market-top-empty = Сейчас ни одна монета не проходит фильтры ликвидности (объём за 24 ч, спред, глубина стакана).
market-top-bad-n = Формат: /top [N], где N — целое число от 1 до { $max } (по умолчанию 10).
