/** Time ranges of the delivery charts' series, the same in every data-plane service. */
@NullMarked
package dev.eventpipe.model.series;

import org.jspecify.annotations.NullMarked;
