"""Reports: /stats per trade mode, daily and weekly digests, /export."""
