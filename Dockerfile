# One image for the controller, the proxy and the init step (deploy/README.md):
#   controller: mesh controller ...        proxy (uid 1500): mesh proxy ...
#   init (root, NET_ADMIN): /bin/sh /opt/mesh/sidecar-init.sh
# Build: docker build -t mesh:0.1.0 .  (the tag `mesh install` uses by default; --set image.repository/tag)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Mesh.Cli/Mesh.Cli.csproj -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# iptables brings ip6tables too: the init step intercepts both families and fails closed without either.
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /etc/mesh/manifests
COPY --from=build /out /opt/mesh
COPY deploy/sidecar-init.sh /opt/mesh/sidecar-init.sh
COPY deploy/mesh.conf /etc/mesh/mesh.conf
# Non-root by default, as the proxy's uid: the interception rules let this user's traffic out untouched. The init
# container alone runs as root (its securityContext says so).
USER 1500:1500
ENTRYPOINT ["dotnet", "/opt/mesh/mesh.dll"]
CMD ["run", "--config", "/etc/mesh/mesh.conf"]
