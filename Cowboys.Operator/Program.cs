// The Shootout operator: reconciles Shootout custom resources into the Jobs that play them.
return 0;
