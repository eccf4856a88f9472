"""Risk service: pre-trade checks, the RiskGuard and risk flags (see core/risk)."""
