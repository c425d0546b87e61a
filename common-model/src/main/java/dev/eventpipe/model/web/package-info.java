/** What every service's HTTP side shares: the request body limit, and the data-plane APIs' filters. */
@NullMarked
package dev.eventpipe.model.web;

import org.jspecify.annotations.NullMarked;
