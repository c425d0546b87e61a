/** HTTP plumbing shared by all routes: CORS. */
@NullMarked
package dev.eventpipe.gateway.web;

import org.jspecify.annotations.NullMarked;
