package dev.mview.plan;

import dev.mview.model.QualifiedName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link Reconciler} may do beyond creating and replacing the declared views. */
public final class ReconcileOptions {
  private static final ReconcileOptions DEFAULTS = builder().build();

  private final Set<QualifiedName> drops;
  private final Set<QualifiedName> materializedDrops;
  private final boolean cascadeDrops;
  private final boolean requireDropsExist;
  private final Set<QualifiedName> alreadyDropped;
  private final boolean online;
  private final Set<QualifiedName> createOnly;
  private final Map<QualifiedName, List<String>> restoring;

  private ReconcileOptions(Builder builder) {
    this.drops = Collections.unmodifiableSet(new LinkedHashSet<>(builder.drops));
    this.materializedDrops = Collections.unmodifiableSet(new LinkedHashSet<>(builder.materializedDrops));
    this.cascadeDrops = builder.cascadeDrops;
    this.requireDropsExist = builder.requireDropsExist;
    this.alreadyDropped = Collections.unmodifiableSet(new LinkedHashSet<>(builder.alreadyDropped));
    this.online = builder.online;
    this.createOnly = Collections.unmodifiableSet(new LinkedHashSet<>(builder.createOnly));
    this.restoring = Collections.unmodifiableMap(new LinkedHashMap<>(builder.restoring));
  }

  /** Create and replace only; drop nothing. */
  public static ReconcileOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Views to drop (they must not be declared in the model). */
  public Set<QualifiedName> drops() {
    return drops;
  }

  /** The views to drop that must be materialized views: a plain view of such a name is an error. */
  public Set<QualifiedName> materializedDrops() {
    return materializedDrops;
  }

  /**
   * Whether views that read a dropped view are dropped too, each by name with its own step (and
   * recreated, with everything it carries, by the plan's inverse). When false, dropping a view
   * others read is an error naming them.
   */
  public boolean cascadeDrops() {
    return cascadeDrops;
  }

  /** Whether a view to drop that does not exist is an error; when false (the default) it is skipped. */
  public boolean requireDropsExist() {
    return requireDropsExist;
  }

  /**
   * Views that statements run before the plan will have dropped by the time it runs, though the
   * catalog still shows them (statements generated together and run later, such as a Liquibase
   * rollback block). The plan treats them as gone.
   */
  public Set<QualifiedName> alreadyDropped() {
    return alreadyDropped;
  }

  /**
   * Whether views that must be rebuilt are built beside the live ones first, in a work schema of
   * the plan, and moved into place by the plan's last steps: readers of the live views wait only for
   * that short tail (drops, moves, grants), not for the rebuild. It needs the right to create a
   * schema in the database. Costs room for two copies while the
   * plan runs; the rebuilt views get new OIDs either way. Default false.
   */
  public boolean online() {
    return online;
  }

  /**
   * Declared views that are to be created, never replaced: the plan fails, naming the view, when
   * one exists already (a Liquibase {@code createMaterializedView} without {@code replaceIfExists}).
   * Planned offline, such a view is not dropped first "if it exists".
   */
  public Set<QualifiedName> createOnly() {
    return createOnly;
  }

  /**
   * Statements that give a declared view, when the plan creates it from nothing, what it carried
   * before it was dropped (owner, grants, column comments, triggers, indexes no declaration holds):
   * run right after it is created. For a rollback that recreates what a migration dropped.
   */
  public Map<QualifiedName, List<String>> restoring() {
    return restoring;
  }

  /** Builds {@link ReconcileOptions}. */
  public static final class Builder {
    private final Set<QualifiedName> drops = new LinkedHashSet<>();
    private final Set<QualifiedName> materializedDrops = new LinkedHashSet<>();
    private boolean cascadeDrops;
    private boolean requireDropsExist;
    private final Set<QualifiedName> alreadyDropped = new LinkedHashSet<>();
    private boolean online;
    private final Set<QualifiedName> createOnly = new LinkedHashSet<>();
    private final Map<QualifiedName, List<String>> restoring = new LinkedHashMap<>();

    private Builder() {}

    /** Adds views to drop, as stored names. */
    public Builder drop(QualifiedName... views) {
      drops.addAll(List.of(views));
      return this;
    }

    /** Adds views to drop, read as SQL ({@code schema.name}, quotes allowed). */
    public Builder drop(String... views) {
      for (String view : views) {
        drops.add(QualifiedName.parse(view));
      }
      return this;
    }

    /** Adds materialized views to drop: a plain view of one of these names is an error, not dropped. */
    public Builder dropMaterialized(QualifiedName... views) {
      drop(views);
      materializedDrops.addAll(List.of(views));
      return this;
    }

    /** Whether the views that read a dropped view are dropped too (default false). */
    public Builder cascadeDrops(boolean cascadeDrops) {
      this.cascadeDrops = cascadeDrops;
      return this;
    }

    /** Whether a missing view to drop is an error (default false: it is skipped). */
    public Builder requireDropsExist(boolean requireDropsExist) {
      this.requireDropsExist = requireDropsExist;
      return this;
    }

    /** Adds views that statements run before the plan will have dropped. */
    public Builder alreadyDropped(QualifiedName... views) {
      alreadyDropped.addAll(List.of(views));
      return this;
    }

    /** Whether rebuilt views are built beside the live ones and swapped in at the end (default false). */
    public Builder online(boolean online) {
      this.online = online;
      return this;
    }

    /** Adds declared views that must not exist yet: created, never replaced. */
    public Builder createOnly(QualifiedName... views) {
      createOnly.addAll(List.of(views));
      return this;
    }

    /** Sets what {@code view} gets back when the plan creates it from nothing (see {@link ReconcileOptions#restoring()}). */
    public Builder restoring(QualifiedName view, List<String> statements) {
      restoring.put(view, List.copyOf(statements));
      return this;
    }

    /** The options. */
    public ReconcileOptions build() {
      return new ReconcileOptions(this);
    }
  }
}
