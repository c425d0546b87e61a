/**
 * User transformations (rudder-transformer's /customTransform contract), the web app's test endpoint, and the
 * processes of their own that transformations blamed for filling the heap run in.
 */
@NullMarked
package dev.eventpipe.transformer.user;

import org.jspecify.annotations.NullMarked;
