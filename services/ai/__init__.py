"""AI helpers (Anthropic Claude) used at the edges of the product."""

from services.ai.explainer import AIText, ClaudeExplainer, ExplainerUnavailable

__all__ = ["AIText", "ClaudeExplainer", "ExplainerUnavailable"]
