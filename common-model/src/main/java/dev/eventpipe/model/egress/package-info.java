/** The egress policy: which addresses a service may connect to on a tenant's behalf (no server-side request forgery). */
@NullMarked
package dev.eventpipe.model.egress;

import org.jspecify.annotations.NullMarked;
