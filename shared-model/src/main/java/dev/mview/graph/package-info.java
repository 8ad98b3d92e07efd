/**
 * The dependency graph between relations: deterministic topological order (ties by name), cycle
 * detection that prints the whole cycle, and upstream and downstream closures.
 */
package dev.mview.graph;
