"""Order stores: the protocol in ``base``, one module per backend. Only these modules touch a driver."""
