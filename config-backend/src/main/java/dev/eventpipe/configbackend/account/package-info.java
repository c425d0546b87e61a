/** People: users, log-in sessions and workspace memberships. */
@NullMarked
package dev.eventpipe.configbackend.account;

import org.jspecify.annotations.NullMarked;
