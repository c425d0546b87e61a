/** User transformations (rudder-transformer's /customTransform contract) and the web app's test endpoint. */
@NullMarked
package dev.eventpipe.transformer.user;

import org.jspecify.annotations.NullMarked;
