-- cutoffs (window_id, window_start, window_end, warn_until): each window with the last day a deadline
-- makes a yellow card at its cut-off, the $warn_working_days-th working day after it (work_calendar:
-- PRC holidays and adjusted working weekends; metrics.md, "Follow-up on resolutions").
-- Put in front of every population query that reads it by analytics/metrics/engine.py.
select
    windows.window_id,
    windows.window_start,
    windows.window_end,
    warn.day as warn_until
from windows
inner join work_calendar as cutoff_day on cutoff_day.day = windows.window_end
inner join work_calendar as warn
    on warn.is_working_day and warn.working_day_number = cutoff_day.working_day_number + $warn_working_days
