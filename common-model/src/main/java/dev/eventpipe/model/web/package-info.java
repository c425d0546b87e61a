/** What every service's HTTP side shares: the request body limit. */
@NullMarked
package dev.eventpipe.model.web;

import org.jspecify.annotations.NullMarked;
