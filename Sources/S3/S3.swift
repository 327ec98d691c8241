// The S3 module. See README "How it works".
