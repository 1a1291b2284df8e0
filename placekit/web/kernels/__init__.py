"""Page kernels started by forking a warm Python (``warm.py``, run by ``forked.py``)."""
