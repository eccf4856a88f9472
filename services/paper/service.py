"""PaperService: the one object handlers, jobs and the backfill use for paper trading.

It resolves symbols and prices through the market service, delegates opening to
`Opener`, closing to `closing`, candle processing to `PaperMonitor` and reads to
`PaperQueries`, so each of those stays small and testable on its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core import fills
from core.accounting import direction, money, risk_at_stop, step_from_precision, to_decimal
from core.market.symbols import UnknownSymbol
from core.sizing import suggest_size
from services.accounts.dto import Price
from services.accounts.service import AccountService
from services.db.engine import Database
from services.market.base import MarketData, MarketDataError, MarketInfo
from services.paper import closing
from services.paper.config import PaperConfig
from services.paper.dto import CloseResult, OpenResult, Portfolio, PositionDTO, TradeError
from services.paper.grammar import CloseRequest, TradeRequest
from services.paper.hooks import RiskCheck
from services.paper.levels import LevelResolver, SignalLevels, coerce_signal_levels
from services.paper.monitor import PaperMonitor
from services.paper.opening import Opener, OpenSpec, Quote
from services.paper.price_range import TradedRange, candle_range
from services.paper.queries import PaperQueries

SignalLookup = Callable[[int, int], Awaitable[Any]]  # (signal_id, user_id)
MAX_POSITION_SHARE = Decimal("0.15")


@dataclass(frozen=True, slots=True)
class SignalTradePlan:
    """What the Paper trade button would open, shown in its confirm step."""

    signal: SignalLevels
    spec: OpenSpec
    quote: Quote
    margin: Decimal
    risk_amount: Decimal  # as the opened position will state it: price loss + exit fee
    entry: Decimal  # the expected fill: the quote with spread/slippage against the trader


class PaperService:
    def __init__(
        self,
        db: Database,
        market: MarketData,
        accounts: AccountService,
        config: PaperConfig | None = None,
        *,
        signal_lookup: SignalLookup | None = None,
        signal_levels: Callable[[str], Awaitable[Any]] | None = None,
        user_settings: Callable[[int], Awaitable[Any]] | None = None,
    ) -> None:
        self.config = config or PaperConfig()
        self.market = market
        self.accounts = accounts
        self._db = db
        self.clock: Callable[[], int] = market.clock.now_ms
        self.opener = Opener(db, accounts, self.config, self.clock)
        self.monitor = PaperMonitor(db, market, self.clock)
        self.queries = PaperQueries(db, market, accounts)
        self._signal_lookup = signal_lookup
        self._user_settings = user_settings

        async def levels_lookup(symbol: str) -> SignalLevels | None:
            if signal_levels is None:
                return None
            return coerce_signal_levels(await signal_levels(symbol))

        self.levels = LevelResolver(
            market,
            timeframe=self.config.atr_timeframe,
            period=self.config.atr_period,
            stop_mult=self.config.atr_stop_mult,
            signal_levels=levels_lookup if signal_levels is not None else None,
        )

    def set_risk_check(self, check: RiskCheck | None) -> None:
        self.opener.set_risk_check(check)

    # -- market look-ups ---------------------------------------------------------------

    async def resolve_symbol(self, text: str) -> str:
        try:
            return await self.market.normalize(text)
        except UnknownSymbol as exc:
            if not exc.suggestions:
                raise TradeError("trade-err-unknown-symbol", symbol=text[:40]) from None
            raise TradeError(
                "trade-err-unknown-symbol-suggest",
                symbol=text[:40],
                suggestions=", ".join(exc.suggestions[:5]),
            ) from None
        except MarketDataError:
            raise TradeError("trade-err-no-price", symbol=text[:40]) from None

    async def quote(self, symbol: str, side: str, *, opening: bool = True) -> Quote:
        """The price a market order would get before slippage: the ask for a buy, the
        bid for a sell (the last price when the book side is unknown)."""
        try:
            ticker = await self.market.ticker(symbol)
            info: MarketInfo | None = (await self.market.markets()).get(symbol)
        except MarketDataError:
            raise TradeError("trade-err-no-price", symbol=symbol) from None
        if ticker.stale:
            raise TradeError("trade-err-stale", symbol=symbol)
        buying = (side == "long") == opening
        raw = (ticker.ask if buying else ticker.bid) or ticker.last
        min_notional = None
        step = tick = None
        if info is not None:
            step = step_from_precision(info.amount_precision)
            tick = step_from_precision(info.price_precision)
            if info.min_notional:
                min_notional = to_decimal(info.min_notional)
        return Quote(
            price=to_decimal(raw),
            time_ms=self.clock(),
            step=step,
            min_notional=min_notional,
            simulated=ticker.simulated,
            tick=tick,
        )

    def expected_entry(self, quote: Quote, side: str) -> Decimal:
        """The fill price of a market entry at `quote` (spread/slippage included)."""
        sign = direction(side)  # type: ignore[arg-type]
        return money(fills.entry_price(quote.price, sign, self.config.slippage_bps, 0, 0))

    async def tick(self, symbol: str) -> Decimal | None:
        """The market's price tick (None when the source does not say)."""
        return (await self.price_ticks({symbol})).get(symbol)

    async def price_ticks(self, symbols: Iterable[str]) -> dict[str, Decimal | None]:
        """Price ticks of several markets from one market list, for rendering."""
        try:
            markets = await self.market.markets()
        except MarketDataError:
            return {}
        out: dict[str, Decimal | None] = {}
        for symbol in symbols:
            info = markets.get(symbol)
            out[symbol] = None if info is None else step_from_precision(info.price_precision)
        return out

    # -- opening -----------------------------------------------------------------------

    async def open_trade(
        self, user_id: int, req: TradeRequest, request_key: str, mode: str = "paper"
    ) -> OpenResult:
        """/trade: resolve, price, fill in missing levels, open (idempotent per key)."""
        replayed = await self.opener.replay(user_id, request_key, mode)
        if replayed is not None:
            return replayed
        symbol = await self.resolve_symbol(req.symbol)
        quote = await self.quote(symbol, req.side)
        expected_entry = self.expected_entry(quote, req.side)
        levels = await self.levels.resolve(
            symbol, req.side, expected_entry, req.stop, req.targets, await self.tick(symbol)
        )
        spec = OpenSpec(
            symbol=symbol,
            side=req.side,
            leverage=req.leverage,
            margin=req.amount,
            margin_pct=req.amount_pct,
            stop=levels.stop,
            targets=levels.targets,
            source="manual",
            atr=levels.atr,
            level_source=levels.source,
        )
        return await self.opener.open(user_id, spec, quote, request_key, mode)

    async def plan_signal_trade(self, user_id: int, signal_id: int) -> SignalTradePlan:
        """What the Paper trade button would open for this user (confirm step)."""
        if self._signal_lookup is None:
            raise TradeError("trade-err-signal-not-found", id=signal_id)
        signal = coerce_signal_levels(await self._signal_lookup(signal_id, user_id))
        if signal is None:
            raise TradeError("trade-err-signal-not-found", id=signal_id)
        return await self.plan_for_signal(user_id, signal)

    async def plan_for_signal(
        self,
        user_id: int,
        signal: SignalLevels,
        mode: str = "paper",
        *,
        timeframe: str | None = None,
    ) -> SignalTradePlan:
        """Size a position from a signal: the user's risk per trade between entry and
        the signal's stop, capped at 15 % of the balance as margin (core.sizing)."""
        if not signal.symbol or signal.stop is None:
            raise TradeError("trade-err-signal-not-found", id=signal.signal_id or 0)
        risk_pct, leverage = Decimal(1), 1
        if self._user_settings is not None:
            user = await self._user_settings(user_id)
            if user is not None:
                risk_pct = Decimal(str(user.risk_per_trade))
                leverage = int(user.leverage)
        quote = await self.quote(signal.symbol, signal.side)
        account = await self.accounts.get(user_id, mode)
        if account.balance <= 0:
            raise TradeError("trade-err-no-deposit")
        expected_entry = self.expected_entry(quote, signal.side)
        try:
            size = suggest_size(
                account.balance,
                risk_pct / 100,
                expected_entry,
                signal.stop,
                leverage,
                MAX_POSITION_SHARE,
                quote.min_notional,
                qty_step=quote.step,
            )
        except ValueError:
            raise TradeError("trade-err-stop-side", side=signal.side,
                             stop=Price(signal.stop, quote.tick),
                             entry=Price(expected_entry, quote.tick)) from None  # fmt: skip
        if not size.ok:
            raise TradeError("trade-err-size-" + size.status.replace("_", "-"))
        spec = OpenSpec(
            symbol=signal.symbol,
            side=signal.side,
            leverage=leverage,
            qty=size.qty,
            stop=signal.stop,
            targets=signal.targets,
            timeframe=timeframe,
            source="signal",
            signal_id=signal.signal_id,
            level_source="signal",
        )
        rate = self.config.fee_rate(leverage, signal.side)
        risk = risk_at_stop(signal.side, expected_entry, signal.stop, size.qty, rate)  # type: ignore[arg-type]
        return SignalTradePlan(
            signal, spec, quote, money(size.margin), risk or Decimal(0), expected_entry
        )

    async def open_for_signal(
        self, user_id: int, signal: Any, request_key: str, mode: str = "backfill"
    ) -> OpenResult:
        """Open from a signal object without the audience check: the engine's own
        entries (backfill runs). Candles are monitored on the signal's timeframe."""
        replayed = await self.opener.replay(user_id, request_key, mode)
        if replayed is not None:
            return replayed
        levels = coerce_signal_levels(signal)
        if levels is None:
            raise TradeError("trade-err-signal-not-found", id=getattr(signal, "id", 0))
        plan = await self.plan_for_signal(user_id, levels, mode, timeframe=levels.timeframe)
        return await self.opener.open(user_id, plan.spec, plan.quote, request_key, mode)

    async def open_from_signal(self, user_id: int, signal_id: int, request_key: str) -> OpenResult:
        """The Paper trade button (after its confirm step); idempotent per request key."""
        replayed = await self.opener.replay(user_id, request_key, "paper")
        if replayed is not None:
            return replayed
        plan = await self.plan_signal_trade(user_id, signal_id)
        quote = await self.quote(plan.signal.symbol, plan.signal.side)
        return await self.opener.open(user_id, plan.spec, quote, request_key)

    # -- closing and stops -------------------------------------------------------------

    async def close(
        self, user_id: int, req: CloseRequest, mode: str = "paper"
    ) -> list[CloseResult]:
        if req.all:
            positions = await closing.open_rows(self._db, user_id, mode)
            if not positions:
                raise TradeError("close-err-none")
        elif req.position_id is not None:
            positions = await closing.open_rows(
                self._db, user_id, mode, position_id=req.position_id
            )
        else:
            symbol = await self.resolve_symbol(req.symbol or "")
            positions = await closing.open_rows(self._db, user_id, mode, symbol=symbol)
        if not positions:
            raise TradeError("close-err-not-found", target=str(req.position_id or req.symbol))
        if req.price is not None:  # every position is checked before any is closed
            for p in positions:
                await self.check_manual_price(p, req.price)
        results = []
        for p in positions:
            if req.price is not None:
                price, manual = req.price, True
            else:
                price, manual = (await self.quote(p.symbol, p.side, opening=False)).price, False
            results.append(
                await closing.close_at(
                    self._db,
                    user_id,
                    p.id,
                    base_price=price,
                    manual=manual,
                    time_ms=self.clock(),
                )
            )
        return results

    async def check_manual_price(self, position: PositionDTO, price: Decimal) -> None:
        """Refuse a typed exit price the market did not trade at while the position
        was open (it would book invented profit or loss)."""
        try:
            ticker = await self.market.ticker(position.symbol)
            candles = await candle_range(
                self.market, position.symbol, position.opened_ms, self.clock()
            )
        except MarketDataError:
            raise TradeError("close-err-price-unverified", symbol=position.symbol) from None
        quoted = [to_decimal(x) for x in (ticker.last, ticker.bid, ticker.ask) if x]
        seen = TradedRange(position.entry_price, position.entry_price).widened(*quoted)
        if candles is not None:
            seen = seen.widened(candles.low, candles.high)
        tick = await self.tick(position.symbol)
        seen = seen.to_tick(tick)
        if not seen.contains(price):
            raise TradeError(
                "close-err-price-range",
                id=position.id,
                symbol=position.symbol,
                price=Price(price, tick),
                low=Price(seen.low, tick),
                high=Price(seen.high, tick),
            )

    async def move_stop_to_breakeven(self, user_id: int, position_id: int) -> PositionDTO:
        position = await self.queries.position(user_id, position_id)
        if position is None or not position.is_open:
            raise TradeError("close-err-not-found", target=str(position_id))
        quote = await self.quote(position.symbol, position.side, opening=False)
        refusal = closing.breakeven_refusal(position, quote.price, quote.tick)
        if refusal is not None:
            raise refusal
        return await closing.move_stop(
            self._db, user_id, position_id, position.entry_price, self.clock()
        )

    # -- reads -------------------------------------------------------------------------

    async def portfolio(self, user_id: int, mode: str = "paper") -> Portfolio:
        return await self.queries.portfolio(user_id, mode)
