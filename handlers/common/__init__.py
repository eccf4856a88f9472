"""Foundation handlers: /start, /help, /lang, /settings, /version, errors and hints."""
