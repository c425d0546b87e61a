/** HTTP concerns shared by the API: problem details, health, the web app's static files. */
@NullMarked
package dev.eventpipe.configbackend.web;

import org.jspecify.annotations.NullMarked;
