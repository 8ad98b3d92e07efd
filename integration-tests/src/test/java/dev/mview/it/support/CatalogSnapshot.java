package dev.mview.it.support;

import java.util.Collections;
import java.util.List;

/**
 * A text dump of what PostgreSQL holds for every relation of some schemas — kind, definition,
 * populated flag, owner, raw ACL, options, tablespace, comments, column comments and ACLs, indexes
 * and triggers — without OIDs, so two snapshots are equal exactly when a drop-and-recreate lost
 * nothing. Read with plain SQL, independent of mview's own catalog reader.
 */
public final class CatalogSnapshot {
  private CatalogSnapshot() {}

  private static final String QUERY = """
      SELECT format('%s.%s kind=%s populated=%s owner=%s acl=%s options=%s tablespace=%s comment=%s def=%s',
               n.nspname, c.relname, c.relkind, c.relispopulated, pg_get_userbyid(c.relowner), c.relacl,
               c.reloptions, c.reltablespace, obj_description(c.oid, 'pg_class'),
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END)
             || coalesce((SELECT string_agg(format(' col %s type=%s comment=%s acl=%s', a.attname,
                          format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum), a.attacl),
                          '' ORDER BY a.attnum)
                          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
             || coalesce((SELECT string_agg(' ' || pg_get_indexdef(i.indexrelid), '' ORDER BY pg_get_indexdef(i.indexrelid))
                          FROM pg_index i WHERE i.indrelid = c.oid), '')
             || coalesce((SELECT string_agg(' ' || pg_get_triggerdef(t.oid), '' ORDER BY t.tgname)
                          FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal), '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'v', 'm')
      ORDER BY n.nspname, c.relname
      """;

  /** One line per table, view and materialized view of {@code schemas}, in name order. */
  public static List<String> of(TestDatabase db, String... schemas) {
    return db.column(QUERY.replace("?", "ARRAY[" + String.join(", ", Collections.nCopies(schemas.length, "?")) + "]"),
        (Object[]) schemas);
  }
}
