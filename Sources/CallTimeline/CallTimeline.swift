// The CallTimeline module. See README "How it works".
