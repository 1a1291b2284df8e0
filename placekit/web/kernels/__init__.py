"""Page kernels: started by forking a warm Python (``warm.py``, run by ``forked.py``), and
talked to over a websocket that is quiet when its page has gone (``websocket.py``)."""
