-- The README's query for stale views (RefreshHistoryTest runs it)
SELECT view_schema, view_name, max(finished_at) AS last_success, now() - max(finished_at) AS age
FROM public.mview_refresh_history
WHERE outcome = 'REFRESHED'
GROUP BY view_schema, view_name
ORDER BY age DESC;
