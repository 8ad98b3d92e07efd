/**
 * The refresh engine: which materialized views to refresh, in which order, how (concurrently, by a
 * swap beside the live view, or plain) and why, and a runner that refreshes them on one connection
 * or on several at once, the longest expected path first. Start at
 * {@link dev.mview.refresh.Refresher}.
 */
package dev.mview.refresh;
