module example.com/myapp

go 1.26.0

// The engine runs go get -u dagger.io/dagger at every load of the module,
// which raises go.opentelemetry.io/otel to the proxy's newest release while
// the SDK's replace lines keep otel/log at v0.16.0: the build then fails
// with an import cycle. These lines pin otel to the versions nixlayer's
// own go.mod requires; tools/engineload checks the load.
replace (
	go.opentelemetry.io/otel => go.opentelemetry.io/otel v1.42.0
	go.opentelemetry.io/otel/metric => go.opentelemetry.io/otel/metric v1.42.0
	go.opentelemetry.io/otel/sdk => go.opentelemetry.io/otel/sdk v1.41.0
	go.opentelemetry.io/otel/sdk/metric => go.opentelemetry.io/otel/sdk/metric v1.41.0
	go.opentelemetry.io/otel/trace => go.opentelemetry.io/otel/trace v1.42.0
)
