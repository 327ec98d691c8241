// The LambdaRuntime module. See README "How it works".
