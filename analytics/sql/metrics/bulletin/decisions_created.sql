-- 交办: non-cancelled decisions created (assigned) in the window, one row per decision and window.
-- Inputs: window_days (window_id, window_start, window_end, day) and the decisions ledger.
with created_in_window as (
    select
        window_days.window_id,
        decisions.*
    from decisions
    inner join window_days on window_days.day = decisions.created_date
    where decisions.status is distinct from 'cancelled'
),

final as (
    select
        window_id,
        owner_dept as department,
        decision_id,
        item,
        owner,
        created_date,
        due_date,
        completed_date,
        status
    from created_in_window
)

select * from final
