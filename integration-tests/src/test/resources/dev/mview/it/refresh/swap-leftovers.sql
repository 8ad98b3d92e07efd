-- What interrupted swaps left behind, as the README shows it.
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('m', 'v') AND (c.relname LIKE 'mview\_swap\_%' OR n.nspname LIKE 'mview\_swap\_%');
