"""One module (and one .tcss) per screen."""
