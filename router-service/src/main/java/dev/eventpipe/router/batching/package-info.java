/**
 * Batching: for destinations whose transformer declares it and whose config turns it on, a worker's jobs are
 * combined by the transformer ({@code POST /batch}) into requests carrying events of many users, and sent request
 * by request under the per-user rules ({@code BatchRun}).
 */
@NullMarked
package dev.eventpipe.router.batching;

import org.jspecify.annotations.NullMarked;
