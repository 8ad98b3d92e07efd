/** The refresh benchmark: {@link dev.mview.benchmarks.RefreshBenchmark}, run by {@code benchmarks/run}. */
package dev.mview.benchmarks;
