import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/session';
import { Layout } from './components/Layout';
import { Loading } from './components/Status';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { LoginPage } from './pages/LoginPage';

// Each screen is its own chunk: the editor and the charts are only downloaded where they are used.
const SourcesPage = lazy(() => import('./pages/SourcesPage'));
const SourceDetailPage = lazy(() => import('./pages/SourceDetailPage'));
const DestinationsPage = lazy(() => import('./pages/DestinationsPage'));
const DestinationDetailPage = lazy(() => import('./pages/DestinationDetailPage'));
const TransformationsPage = lazy(() => import('./pages/TransformationsPage'));
const TransformationDetailPage = lazy(() => import('./pages/TransformationDetailPage'));
const LiveEventsPage = lazy(() => import('./pages/LiveEventsPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const FailedEventsPage = lazy(() => import('./pages/FailedEventsPage'));
const EventDebuggerPage = lazy(() => import('./debugger/EventDebuggerPage'));
const HealthPage = lazy(() => import('./health/HealthPage'));
const WarehousePage = lazy(() => import('./warehouse/WarehousePage'));
const ArchivePage = lazy(() => import('./warehouse/ArchivePage'));

export function App() {
  const { user, checking, workspace } = useSession();
  if (checking) return <Loading what="Checking your session" />;
  if (!user) return <LoginPage />;
  if (user.mustChangePassword) return <ChangePasswordPage />;
  if (!workspace) {
    return (
      <main className="login">
        <div className="card">
          <h1>No workspace</h1>
          <p>You are not a member of any workspace yet. Ask an admin to add you.</p>
        </div>
      </main>
    );
  }
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/sources" replace />} />
          <Route path="sources" element={<SourcesPage />} />
          <Route path="sources/:sourceId" element={<SourceDetailPage />} />
          <Route path="destinations" element={<DestinationsPage />} />
          <Route path="destinations/:destinationId" element={<DestinationDetailPage />} />
          <Route path="transformations" element={<TransformationsPage />} />
          <Route path="transformations/:transformationId" element={<TransformationDetailPage />} />
          <Route path="live" element={<LiveEventsPage />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="failed" element={<FailedEventsPage />} />
          <Route path="events" element={<EventDebuggerPage />} />
          {/* not /health: that path is the config backend's own health endpoint */}
          <Route path="status" element={<HealthPage />} />
          <Route path="warehouse" element={<WarehousePage />} />
          <Route path="archive" element={<ArchivePage />} />
          <Route path="*" element={<Navigate to="/sources" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
