"""Pure market-data helpers: timeframes, candle frames, symbols, quality, CSV files.

Nothing here does I/O beyond reading a local file (`csv.py`); providers, caching
and the exchange client live in `services/market`.
"""
