from bulletin.entry import main

raise SystemExit(main())
