# PlaceKit with every built-in exercise, for those who deploy containers (docs/deploy.md).
#   docker build -t placekit .
#   docker run --init -p 8866:8866 -v placekit-data:/data \
#     -e PLACEKIT_BASE_URL=https://placekit.example.org placekit
# compose.yaml runs it on PostgreSQL.

FROM python:3.12-slim-bookworm AS wheels
WORKDIR /src
COPY . .
# The kit and each built-in exercise as wheels, so the image holds installs, not a checkout.
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . plugins/*/

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=wheels /wheels /wheels
# The version is pyproject.toml's (a test checks): the kit built above, not one from an index;
# hub: sign-in through JupyterHub, for PlaceKit run as a hub service (docs/deploy.md).
RUN pip install --find-links /wheels "placekit[exercises,postgres,hub]==0.1.0" \
    && rm -rf /wheels
RUN useradd --create-home --uid 10001 placekit \
    && mkdir /data \
    && chown placekit /data
USER 10001
# SQLite in the volume unless PLACEKIT_DB names a PostgreSQL database (compose.yaml does).
ENV PLACEKIT_DB=/data/placekit.db \
    PLACEKIT_LOG=/data/placekit.log
VOLUME ["/data"]
EXPOSE 8866
# A TCP connect, never a GET: every GET of a page starts a kernel.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8866), 5)"]
# Inside the container it listens on every interface; publish the port to choose who reaches
# it. The demo workbook is for trying PlaceKit out, not for a server.
CMD ["placekit", "serve", "--host", "0.0.0.0", "--port", "8866", "--no-demo"]
