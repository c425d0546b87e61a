/** How far behind each stage of the pipeline is, and the job tables' storage against their budget. */
@NullMarked
package dev.eventpipe.processor.backlog;

import org.jspecify.annotations.NullMarked;
