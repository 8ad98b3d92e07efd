package dev.mview.plan;

import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.model.ViewDefinition;
import java.util.List;
import java.util.Set;

/**
 * What a live view that a plan drops and creates again becomes: the one rule for what a rebuild
 * keeps, whether it happens in place or beside the live view.
 *
 * @param live the view as it is
 * @param definition the view as it will be: as declared (populated if it was or if declared so,
 *     keeping the live comment when none is declared), or as it is when nothing declares it; its
 *     indexes are the declared ones
 * @param keptIndexes live indexes outside the declaration that are built again (their columns all
 *     survive)
 * @param columns the columns it will have, for what concerns columns (comments, column grants)
 * @param replaced whether its own definition changed (else it is rebuilt because something it reads was)
 * @param reason why it is rebuilt, with what it cannot keep
 */
record Rebuild(LiveView live, ViewDefinition definition, List<LiveIndex> keptIndexes, Set<String> columns,
    boolean replaced, String reason) {
  Rebuild {
    keptIndexes = List.copyOf(keptIndexes);
    columns = Set.copyOf(columns);
  }
}
