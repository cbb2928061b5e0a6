"""The migration engine: state → autodetector → operations → schema editor SQL → files,
loaded and applied by the executor and recorded per app.  Front ends (``aerich``) keep
only their command line and file layout."""
