// Command hello is the application that the myapp module adds to
// nixlayer's runtime image: it prints a greeting with the platform it runs
// on.
package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	name := "nixlayer"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Printf("Hello, %s, from %s/%s\n", name, runtime.GOOS, runtime.GOARCH)
}
