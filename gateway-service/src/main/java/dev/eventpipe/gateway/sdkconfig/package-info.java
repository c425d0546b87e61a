/** What browser and mobile SDKs fetch before sending: RudderStack's source config, Segment's project settings. */
@NullMarked
package dev.eventpipe.gateway.sdkconfig;

import org.jspecify.annotations.NullMarked;
