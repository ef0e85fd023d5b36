"""The web page of sakip-checker (`sakip web`)."""
