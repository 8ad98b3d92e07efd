-- A plain SQL migration above the view migrations: a rollback below it must refuse.
ALTER TABLE shop.orders ADD COLUMN note text;
