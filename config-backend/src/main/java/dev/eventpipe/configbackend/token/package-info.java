/** Tokens for machines: API tokens for automation and workspace tokens for the data plane. */
@NullMarked
package dev.eventpipe.configbackend.token;

import org.jspecify.annotations.NullMarked;
