# Builds the `mesh` CLI into a runtime image. The proxy runs as uid 1500 (excluded from interception).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Mesh.Cli -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /out /opt/mesh
USER 1500:1500
ENTRYPOINT ["dotnet", "/opt/mesh/mesh.dll"]
CMD ["run", "--config", "/etc/mesh/mesh.conf"]
