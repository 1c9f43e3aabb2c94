from cors_lint.cli import main

raise SystemExit(main())
