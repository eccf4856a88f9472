"""Operations: metrics, health, and what lets several instances share one bot
(Redis clients and keys, the scheduler leader lock, webhook update dedupe, the
shared send rate)."""
