/**
 * Delivery: the per-destination workers that send their jobs one user after the other ({@code WorkerPool},
 * {@code Worker}), the HTTP exchange of the transformer's request description, and the rules that turn a response
 * into a job status.
 */
@NullMarked
package dev.eventpipe.router.delivery;

import org.jspecify.annotations.NullMarked;
