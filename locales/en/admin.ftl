## Admin: /admin, /users, /user, /broadcast, /blocklist, /whitelist, /jobs, /backup; /status for everyone.

cmd-admin = Health: users, signals, data sources, jobs, queue, errors
cmd-users = Find users
cmd-users-args = [name, @username or id]
cmd-user = One user: settings, deposit, positions, flags
cmd-user-args = <id>
cmd-broadcast-args = [text]
cmd-broadcast = Send a message to every user
cmd-blocklist = Symbols never scanned or traded
cmd-whitelist = Symbols always in the universe
cmd-list-args = [add|remove SYMBOL]
cmd-jobs = Scheduled jobs: run now, pause, resume
cmd-backup = Back up the database now
cmd-status = Is the bot healthy, is data live

admin-input-too-long = That is too long for me: at most { $limit ->
        [one] { $limit } character
       *[other] { $limit } characters
    }. Please shorten it.

admin-state-ok = healthy
admin-state-bad = needs attention
admin-health-title = <b>Health: { $state }</b>
admin-health-build = tradebot { $version } · <code>{ $commit }</code> · up { $uptime }
admin-health-users = 👥 Users: { $total } · active 24h { $day } · 7d { $week } · blocked the bot { $blocked }
admin-health-signals = 📈 Signals today: issued { $issued } · delivered { $delivered }
admin-health-positions = 💼 Open paper positions: { $open }
admin-health-data = 📡 Market data: { $state }
admin-health-data-source = 📡 Market data from { $source }: { $state }
admin-health-source = • { $name }: breaker { $breaker } · latency { $latency } (last { $last }) · cache hits { $hits }, misses { $misses } · failures { $failures } · stale answers { $stale }
admin-breaker-closed = closed (requests go through)
admin-breaker-open = open (requests paused after failures)
admin-breaker-half-open = half-open (trying again)
admin-health-source-error =   last error: { $error }
admin-health-stale = Stale symbols ({ $count }): { $symbols }
admin-health-scheduler = ⏱ Scheduler: { $state }
admin-scheduler-running = running
admin-scheduler-stopped = not running
admin-health-job = • <code>{ $id }</code>: next { $next }
admin-job-state-paused = paused
admin-health-queue = 📤 Send queue: { $pending } waiting · Telegram send p50 { $p50 }, p95 { $p95 } · signal delivery p50 { $delivery }
admin-health-errors = ⚠️ Recent errors ({ $count }):
admin-health-error = • <code>{ $ref }</code> { $at } { $kind }
admin-health-no-errors = ✅ No errors since start.
admin-health-problems = Problems: { $problems }
admin-problem-database = database unreachable
admin-problem-market-stale = market data stale
admin-problem-market-down = market data unavailable
admin-problem-scheduler = scheduler not running

status-healthy = ✅ The bot is healthy.
status-unhealthy = ⚠️ The bot has a problem; the admins can see what in /admin.
status-data = Market data: { $state }
status-data-source = Market data from { $source }: { $state }
status-data-live = live
status-data-simulated = simulated (not real prices)
status-data-replay = historical replay
status-data-stale = stale (the exchange is not answering; prices may be old)
status-data-down = unavailable
status-uptime = Up for { $uptime }
status-stale-symbols = { $count ->
        [one] { $count } symbol has old data.
       *[other] { $count } symbols have old data.
    }

admin-users-title = <b>Users ({ $count })</b>
admin-users-line = • <code>{ $id }</code> { $username } { $name } · { $lang } · seen { $seen } { $marks }
admin-users-none = No user matches “{ $query }”.
admin-users-hint = Details: /user ID
admin-user-mark-blocked-bot = [blocked the bot]
admin-user-mark-blocked = [blocked by admin]
admin-user-usage = Usage: /user ID (a number from /users).
admin-user-not-found = No user with id { $id }.
admin-user-title = <b>User { $id }</b> · { $name } · { $username }
admin-user-seen = Joined { $created } · last seen { $seen }
admin-user-settings = Language { $lang } · time zone { $tz } · risk { $risk }% · leverage x{ $leverage } · notifications { $notify } · min confidence { $confidence } · preset { $preset }
admin-user-account = Deposit { $deposit } · balance { $balance } · margin in use { $margin }
admin-user-no-account = No paper deposit yet.
admin-user-positions = Open positions: { $count }
admin-user-position = • #{ $id } { $symbol } { $side } { $qty } @ { $entry }
admin-user-flags = Flags: { $flags } · state: { $state }
admin-user-history = Recent audit entries:
admin-btn-block = 🚫 Block
admin-btn-unblock = ✅ Unblock
admin-btn-flag-set = Set { $flag }
admin-btn-flag-clear = Clear { $flag }
admin-user-blocked = User { $id } is blocked.
admin-user-unblocked = User { $id } is unblocked.
admin-flag-set = Flag { $flag } set for { $id }.
admin-flag-cleared = Flag { $flag } cleared for { $id }.
admin-flag-unavailable = Risk flags are not available.

admin-broadcast-unavailable = Broadcasts need the send queue, which is not running.
admin-broadcast-compose = Send the text to broadcast (plain text; any command cancels).
admin-broadcast-empty = The text is empty.
admin-broadcast-too-long = The text is too long: at most { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }.
admin-broadcast-preview =
    <b>Preview</b>

    { $text }

    Recipients: { $count } (skipped, blocked: { $skipped })
admin-broadcast-btn-send = Send to { $count }
admin-broadcast-btn-cancel = Cancel
admin-broadcast-cancelled = Broadcast cancelled.
admin-broadcast-started = Sending…
admin-broadcast-progress = 📣 Broadcasting: { $done }/{ $total } · delivered { $sent } · failed { $failed } · blocked { $blocked }
admin-broadcast-done = 📣 Broadcast finished: delivered { $sent } of { $total } · failed { $failed } · blocked the bot { $blocked } · skipped { $skipped }

admin-list-unavailable = Symbol lists need market data, which is not running.
admin-list-usage = Usage: /{ $command } (list), /{ $command } add SYMBOL [note], /{ $command } remove SYMBOL
admin-list-block = blocklist
admin-list-white = whitelist
admin-list-empty-block = The blocklist is empty.
admin-list-empty-white = The whitelist is empty.
admin-list-title-block = <b>Blocklist ({ $count })</b>
admin-list-title-white = <b>Whitelist ({ $count })</b>
admin-list-unknown = Unknown symbol { $symbol }. Did you mean: { $suggestions }
admin-list-add-ok = { $symbol } added to the { $list }.
admin-list-add-noop = { $symbol } is already on the { $list }.
admin-list-remove-ok = { $symbol } removed from the { $list }.
admin-list-remove-noop = { $symbol } is not on the { $list }.

admin-jobs-none = No scheduled jobs.
admin-jobs-title = <b>Scheduled jobs ({ $count })</b>
admin-jobs-btn-run = ▶️ Run { $id }
admin-jobs-btn-pause = ⏸ Pause { $id }
admin-jobs-btn-resume = ⏯ Resume { $id }
admin-job-not-found = No such job.
admin-job-running = Running { $id }…
admin-job-ran = Job <code>{ $id }</code> finished in { $seconds } s.
admin-job-failed = Job <code>{ $id }</code> failed after { $seconds } s: { $error }
admin-job-paused = { $id } paused.
admin-job-resumed = { $id } resumed.

admin-backup-done = 💾 Backup { $name } · { $size } MB · schema { $revision }
admin-backup-failed = Backup failed: { $reason }
admin-backup-too-big = Too big to send here; it is on the server at { $path }
# Why a backup or restore was refused (services/backup/service.py BackupError keys).
backup-error-not-sqlite = backups through the SQLite online-backup API need a SQLite database (use pg_dump for PostgreSQL)
backup-error-no-file = there is no file { $path }
backup-error-integrity = the integrity check failed: { $details }
backup-error-unreadable = not a readable SQLite database ({ $reason })
backup-error-no-database = there is no database at { $path }
backup-error-cannot-write = cannot write a backup into { $folder }: { $reason }
backup-error-cannot-restore = cannot restore into { $path }: { $reason }
backup-error-no-revision = the backup has no schema version (alembic_version is missing)
backup-error-unknown-revision = the backup's schema version { $revision } is unknown to this build
