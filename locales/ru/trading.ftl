## Депозит и бумажная торговля: /deposit, /trade, /close, /portfolio, уведомления.

cmd-deposit = Показать или изменить депозит
cmd-deposit-args = [сумма | +сумма | -сумма]
cmd-trade = Открыть бумажную позицию
cmd-trade-args = <символ> long|short <сумма|N%> [xN] [sl цена] [tp ц1,ц2,ц3]
cmd-close = Закрыть бумажные позиции
cmd-close-args = <символ|id|all> [цена]
cmd-portfolio = Открытые бумажные позиции и PnL

side-long = ЛОНГ
side-short = ШОРТ
kind-spot = спот
kind-perp = фьючерс
simulated-label = ⚠️ Цены симулированные, это не реальный рынок.

## /deposit

deposit-usage =
    <code>/deposit</code> показывает депозит, <code>/deposit 1000</code> задаёт его,
    <code>/deposit +200</code> пополняет, <code>/deposit -100</code> выводит.
deposit-not-set = Депозит ещё не задан. Отправьте, например, <code>/deposit 1000</code>.
deposit-summary =
    <b>Бумажный счёт</b>
    Депозит: { $deposit }
    Реализованный PnL: { $realized }
    Уплачено комиссий: { $fees }
    Баланс: <b>{ $balance }</b>
    В открытых позициях (маржа): { $margin }
    Свободно: { $free }
deposit-changed-set = Депозит установлен: { $deposit }.
deposit-changed-add = Пополнено на { $amount }. Депозит: { $deposit }.
deposit-changed-withdraw = Выведено { $amount }. Депозит: { $deposit }.
deposit-history-title = Последние изменения:
deposit-history-line = { $time } · { $kind } { $amount } → { $deposit }
deposit-kind-set = установка
deposit-kind-add = пополнение
deposit-kind-withdraw = вывод
deposit-err-not-positive = После этого баланс был бы { $balance }. Депозит и баланс должны оставаться больше нуля; ничего не изменено.
deposit-err-too-large = Депозит не может превышать { $max }; ничего не изменено.
deposit-err-margin = { $margin } занято маржой открытых позиций, столько вывести нельзя. Сначала закройте позиции; ничего не изменено.

## ошибки чисел (общие для /deposit, /trade и /close)

trade-err-number = «{ $value }» — не число, которое я принимаю. Пишите цифры с необязательной точкой, например 100 или 0.5.
trade-err-ambiguous = «{ $value }» можно прочитать двумя способами: напишите { $whole }, если это целое число, или { $decimal } с точкой, если дробное. Ничего не изменено.
trade-err-decimals = В { $value } слишком много знаков после точки: допускается не больше { $max }.
trade-err-too-large = { $value } — слишком много: предел { $max }.
trade-err-positive = { $value }: сумма или цена должна быть больше нуля.

## /trade

trade-usage =
    Отправьте <code>/trade СИМВОЛ long|short СУММА [xПЛЕЧО] [sl ЦЕНА] [tp ЦЕНА,ЦЕНА,ЦЕНА]</code>,
    например <code>/trade BTC/USDT long 100 x3 sl 60000 tp 66000,68000</code>.
    СУММА — маржа в USDT или доля баланса, например <code>2%</code>.
trade-err-side = «{ $value }» — не направление: напишите long или short.
trade-err-leverage = Плечо { $value } недопустимо: целое число от 1 до { $max }, например x3.
trade-err-too-many-targets = Допускается не больше { $max } уровней тейк-профита.
trade-err-unexpected = Не понял «{ $value }» в этом месте.
trade-err-unknown-symbol = Не знаю символ { $symbol }. Попробуйте пару вроде BTC/USDT.
trade-err-unknown-symbol-suggest = Не знаю символ { $symbol }. Возможно, вы имели в виду: { $suggestions }?
trade-err-no-price = Сейчас не удаётся получить цену { $symbol }. Попробуйте позже.
trade-err-stale = Цена { $symbol } устарела, по ней я не исполняю ордера. Попробуйте позже.
trade-err-no-deposit = Сначала задайте депозит, например <code>/deposit 1000</code>.
trade-err-qty-zero = Сумма слишком мала даже для минимального количества на этом рынке.
trade-err-min-notional = Позиция стоила бы { $notional }, это меньше минимума рынка { $min }.
trade-err-stop-side = Стоп { $stop } с неверной стороны для { $side } со входом { $entry }: у лонга стоп ниже входа, у шорта — выше.
trade-err-tp-side = Цель { $tp } с неверной стороны для { $side } со входом { $entry }.
trade-err-tp-order = Цели должны различаться и идти от ближней к дальней.
trade-err-insufficient = Недостаточно свободного баланса: позиции нужно { $need } (маржа и комиссия), свободно { $free }.
trade-err-refused = Правила риска отклонили эту сделку.
trade-err-duplicate = Этот запрос уже использован для другой сделки.
trade-err-signal-not-found = Сигнал #{ $id } больше недоступен для бумажной торговли.
trade-err-size-no-deposit = Чтобы рассчитать размер, сначала задайте депозит, например <code>/deposit 1000</code>.
trade-err-size-too-small = При ваших настройках риска позиция меньше минимума рынка.
trade-err-closed = Позиция #{ $id } уже закрыта.
trade-err-breakeven-already = Стоп #{ $id } уже на уровне входа или дальше.
trade-err-breakeven-price = #{ $id } не в прибыли (цена { $price }), стоп нельзя перенести на вход.

trade-opened-title = ✅ <b>Бумажная позиция #{ $id } открыта</b>
trade-duplicate-title = ℹ️ Этот ордер уже исполнен как позиция #{ $id }; новая не открыта.
trade-opened =
    { $symbol } · { $side } · x{ $leverage } ({ $kind })
    Вход: <b>{ $entry }</b> · Количество: { $qty }
    Стоимость: { $notional } · Маржа: { $margin } · Комиссия: { $fee }
trade-liquidation = Цена ликвидации: { $price }
trade-stop = Стоп: { $price }
trade-no-stop = Стоп: нет
trade-targets = Цели: { $targets } (закрытие { $shares }%)
trade-risk = Риск до стопа: { $risk } ({ $pct }% баланса)
trade-levels-user = Уровни: ваши.
trade-levels-signal = Уровни: из текущего сигнала.
trade-levels-atr = Уровни: по ATR (стоп 1.5 ATR, цели 1R/2R/3R).
trade-levels-user-stop = Уровни: ваш стоп; цели 1R/2R/3R от него.
trade-levels-user-targets-signal = Уровни: ваши цели; стоп из текущего сигнала.
trade-levels-user-targets-atr = Уровни: ваши цели; стоп на 1.5 ATR.
trade-levels-none = Уровни: нет (стопа нет, рассчитать уровни не удалось).
trade-balance = Баланс: { $balance } · Свободно: { $free }

## Кнопка «Бумажная сделка» на сигнале

paper-confirm =
    <b>Открыть бумажную сделку по сигналу #{ $signal }?</b>
    { $symbol } · { $side } · x{ $leverage }
    Примерно { $qty } по ≈{ $price } (маржа { $margin })
    Стоп: { $stop } · Цели: { $targets }
    Риск до стопа: { $risk }
paper-confirm-yes = ✅ Открыть
paper-confirm-no = ✖️ Отмена
paper-cancelled = Отменено, ничего не открыто.
paper-opening = Открываю…

## /close

close-usage = Отправьте <code>/close СИМВОЛ</code>, <code>/close ID [ЦЕНА]</code> или <code>/close all</code>. С ЦЕНОЙ выход записывается по ней и помечается как ручной.
close-err-none = Открытых бумажных позиций нет.
close-err-not-found = Нет открытой позиции для { $target }.
close-err-price-range = { $price } — вне диапазона, в котором торговался { $symbol }, пока #{ $id } была открыта ({ $low } – { $high }), поэтому записать такой выход нельзя; ничего не изменено. Отправьте <code>/close { $id }</code> без цены, чтобы закрыть по рынку.
close-err-price-unverified = Сейчас не удаётся получить цены { $symbol }, чтобы проверить цену выхода; ничего не изменено. Попробуйте позже.
close-done = ✔️ Закрыта #{ $id } { $symbol } { $side }: { $qty } по { $price }{ $manual } · PnL { $pnl } · комиссии { $fees } · итог { $net }
close-manual = { " " }(ручная цена)
close-already = #{ $id } уже была закрыта.
close-balance = Баланс: { $balance }

## /portfolio

portfolio-title = <b>Открытые бумажные позиции</b>
portfolio-empty = Открытых бумажных позиций нет.
portfolio-position =
    <b>#{ $id } { $symbol } { $side }</b> x{ $leverage } · кол-во { $qty }
    Вход { $entry } · Сейчас { $mark } · PnL { $upnl }
    Маржа { $margin } · Стоп { $stop } · Цели { $targets }
portfolio-no-mark = н/д
portfolio-totals =
    Баланс: { $balance } · Нереализованный: { $unrealized }
    Капитал: <b>{ $equity }</b> · Маржа: { $margin } · Свободно: { $free }
portfolio-btn-close = Закрыть #{ $id }
portfolio-btn-breakeven = Стоп → вход #{ $id }
portfolio-breakeven-done = Стоп #{ $id } перенесён на вход, { $price }.

## уведомления монитора позиций

fill-tp = 🎯 <b>#{ $id } { $symbol } { $side }: исполнен TP{ $n }</b> · { $qty } по { $price } · PnL { $pnl }
fill-tp-breakeven = Стоп перенесён на вход ({ $price }).
fill-stop = 🛑 <b>#{ $id } { $symbol } { $side }: сработал стоп</b> · { $qty } по { $price } · PnL { $pnl }
fill-breakeven = ⚖️ <b>#{ $id } { $symbol } { $side }: закрыта в безубыток</b> · { $qty } по { $price } · PnL { $pnl }
fill-liquidation = 💥 <b>#{ $id } { $symbol } { $side }: ликвидация</b> · { $qty } по { $price } · PnL { $pnl }
fill-close = ✔️ <b>#{ $id } { $symbol } { $side }: закрыта</b> · { $qty } по { $price } · PnL { $pnl }
fill-position-closed = Позиция закрыта · итог { $net } · баланс { $balance }
