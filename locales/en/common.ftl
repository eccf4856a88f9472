## Foundation: /start, /help, /lang, /settings, errors and hints.

language-name = English

start-greeting = Hello, { $name }! I am <b>tradebot</b>, a crypto trading assistant.
start-howto =
    What I do: market signals with entry, stop and targets, paper trading on your
    deposit, risk warnings and strategy backtests.
    How to begin:
    • /settings: risk per trade, leverage, notifications, time zone
    • /help: every command
    Signals are ideas, not financial advice.
start-choose-language = Choose your language:

lang-choose = Choose your language:
lang-changed = Language set to English.

help-title = <b>Commands</b>
help-admin-title = <b>Admin commands</b>
help-footer = Arguments in angle brackets are required, in square brackets optional.

unknown-command = I do not know the command { $command }. Send /help to see what I can do.
unknown-text = I answer commands. Send /help to see them.
error-internal = Something went wrong on my side. Reference: <code>{ $ref }</code>. Please try again; if it keeps happening, send the reference to the admin.
error-internal-short = Something went wrong. Reference: { $ref }
throttle-slow-down = Too many messages at once. Please wait a second and try again.
callback-expired = This button is no longer active.
callback-not-yours = This button belongs to someone else.

cmd-start = Start and choose a language
cmd-help = All commands
cmd-lang = Change the language
cmd-settings = Risk, leverage, notifications, time zone
cmd-version = Version, commit and uptime

version-info =
    <b>tradebot { $version }</b>
    Commit: <code>{ $commit }</code>
    Up for: { $uptime }
    Python { $python }, aiogram { $aiogram }

settings-title = <b>Your settings</b>
settings-summary =
    Risk per trade: { $risk_per_trade }%
    Leverage: x{ $leverage }
    Notifications: { $notify_mode }
    Minimum confidence: { $min_confidence }%
    Signal preset: { $preset }
    Time zone: { $timezone }
    Language: { $language }
settings-deposit = Deposit: { $deposit } (change with /deposit)
settings-deposit-unset = Deposit: not set. Set it with /deposit to get position sizes with signals.
settings-pick = Choose a setting to change:
settings-button-risk_per_trade = Risk per trade
settings-button-leverage = Leverage
settings-button-notify_mode = Notifications
settings-button-min_confidence = Min. confidence
settings-button-preset = Preset
settings-button-timezone = Time zone
settings-button-language = Language
settings-button-back = « Back
settings-button-close = Done

settings-ask-risk_per_trade = Risk per trade, as a percent of the deposit. Pick one or type a number from { $min } to { $max }:
settings-ask-leverage = Leverage. Pick one or type a whole number from { $min } to { $max }:
settings-ask-notify_mode = Which signals should I send you?
settings-ask-min_confidence = Minimum signal confidence. Pick one or type a whole number from { $min } to { $max }:
settings-ask-preset = Signal preset:
settings-ask-timezone = Time zone. Pick one or type a zone name such as Europe/Berlin:
settings-ask-language = Choose your language:

settings-invalid-risk_per_trade = Risk per trade must be a number from { $min } to { $max } (at most two decimals). Nothing was changed; type another value or press « Back.
settings-invalid-leverage = Leverage must be a whole number from { $min } to { $max }. Nothing was changed; type another value or press « Back.
settings-invalid-min_confidence = Minimum confidence must be a whole number from { $min } to { $max }. Nothing was changed; type another value or press « Back.
settings-invalid-timezone = I do not know that time zone. Use a name such as Europe/Berlin or America/New_York. Nothing was changed.
settings-invalid-choice = That option is not available. Nothing was changed.
settings-saved = Saved.

notify-mode-all = all signals
notify-mode-strong = strong signals only
notify-mode-off = off

preset-composite = Composite (trend, momentum and volume)
preset-scalper = Scalper (short timeframes)

# Durations (uptime, waits, data age); services/text.py:format_duration
duration-dhm = { $d }d { $h }h { $m }m
duration-hm = { $h }h { $m }m
duration-ms = { $m }m { $s }s
