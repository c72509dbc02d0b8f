# Model-file reader tests (io/).
